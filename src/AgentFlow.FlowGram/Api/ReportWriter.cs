using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Api;

/// <summary>Writes a task's state in the reference's IReport shape (§3.8); times are epoch milliseconds.</summary>
internal static class ReportWriter
{
    private static readonly string[] MessageTypes = ["log", "info", "debug", "error", "warning"];

    public static JsonObject Write(FlowTask task)
    {
        var (workflow, nodes, snapshots, errors, outputs) = task.Read();
        var now = task.Now;
        var reports = new JsonObject();
        foreach (var (id, status) in nodes)
        {
            var report = Status(status, now);
            report.Insert(0, "id", id);
            report["snapshots"] = new JsonArray([.. snapshots.Where(s => s.NodeId == id).Select(Snapshot)]);
            reports[id] = report;
        }

        var messages = new JsonObject();
        foreach (var type in MessageTypes)
        {
            messages[type] = type == "error" ? new JsonArray([.. errors.Select(Message)]) : new JsonArray();
        }

        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["inputs"] = Js.ToJson(task.Inputs),
            ["outputs"] = Js.ToJson(outputs),
            ["workflowStatus"] = Status(workflow, now),
            ["reports"] = reports,
            ["messages"] = messages,
        };
    }

    private static JsonObject Status(StatusData status, long now)
    {
        var result = new JsonObject { ["status"] = status.Status, ["terminated"] = status.Terminated };
        if (status.StartTime is { } start)
        {
            result["startTime"] = start;
        }

        if (status.EndTime is { } end)
        {
            result["endTime"] = end;
        }

        result["timeCost"] = status.TimeCost(now);
        return result;
    }

    private static JsonObject Snapshot(Snapshot snapshot)
    {
        var result = new JsonObject { ["id"] = snapshot.Id, ["nodeID"] = snapshot.NodeId };
        if (snapshot.Inputs is not null)
        {
            result["inputs"] = Js.ToJson(snapshot.Inputs);
        }

        if (snapshot.Outputs is not null)
        {
            result["outputs"] = Js.ToJson(snapshot.Outputs);
        }

        result["data"] = Js.ToJson(snapshot.Data);
        if (snapshot.Branch is not null)
        {
            result["branch"] = snapshot.Branch;
        }

        if (snapshot.Error is not null)
        {
            result["error"] = snapshot.Error;
        }

        return result;
    }

    private static JsonObject Message(FlowMessage message)
    {
        var result = new JsonObject { ["id"] = message.Id, ["type"] = message.Type, ["message"] = message.Message };
        if (message.NodeId is not null)
        {
            result["nodeID"] = message.NodeId;
        }

        result["timestamp"] = message.Timestamp;
        return result;
    }
}
