using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>
/// What FlowGram's reference HTTP server (FLOWGRAM.md §4.3: Fastify + trpc-openapi) makes of a case whose in-process
/// output is recorded: the harness's outputs come from the runtime's APIs, and the server passes each answer through
/// the API's zod output schema (runtime-js 1.0.9, <c>dist/index.js</c>) in strip mode, and turns a throw into
/// <c>undefined</c>.
/// </summary>
public static class ReferenceServer
{
    /// <summary>The harness's <c>runError</c> over HTTP: TaskRun's throw is caught and answered as <c>undefined</c>, a 200 with an empty body.</summary>
    public const string EmptyBody = "200 with an empty body";

    /// <summary>The normalised output a harness reading the reference server would record, given the in-process one.</summary>
    public static JsonObject View(JsonNode recorded)
    {
        var view = recorded.DeepClone().AsObject();
        if (view.ContainsKey("runError"))
        {
            view["runError"] = EmptyBody;
            return view;
        }

        if (!view.ContainsKey("nodes"))
        {
            return view;
        }

        if (!PassesReportSchema(view))
        {
            // The report fails zod's output validation: every TaskReport answers 500; TaskResult still answers.
            view.Remove("status");
            view.Remove("messages");
            view.Remove("nodes");
            view["report"] = CaseRunner.ReportRejected;
            return view;
        }

        // Strip mode: the snapshot schema {id, nodeID, inputs, outputs?, data, branch?} has no error.
        foreach (var snapshot in Snapshots(view))
        {
            snapshot.Remove("error");
        }

        return view;
    }

    /// <summary>
    /// The parts of the report's zod schema that a normalised output still shows: <c>workflowStatus.startTime</c> is
    /// required (a task that failed validation never started: it failed with no node report), and every snapshot needs
    /// <c>inputs</c> and <c>data</c> records (a node that failed while resolving its inputs has none), with
    /// <c>outputs</c> a record and <c>branch</c> a string where present.
    /// </summary>
    private static bool PassesReportSchema(JsonObject view)
    {
        if (view["status"]?.GetValue<string>() == "failed" && view["nodes"]!.AsObject().Count == 0)
        {
            return false;
        }

        return Snapshots(view).All(s =>
            s["inputs"] is JsonObject && s["data"] is JsonObject
            && (!s.ContainsKey("outputs") || s["outputs"] is JsonObject)
            && (!s.ContainsKey("branch") || s["branch"]?.GetValueKind() == JsonValueKind.String));
    }

    private static IEnumerable<JsonObject> Snapshots(JsonObject view) =>
        view["nodes"]!.AsObject().SelectMany(n => n.Value!["snapshots"]!.AsArray()).Select(s => s!.AsObject());
}
