using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Bench;

// The same FlowGram workflows (bench/FlowGram/schemas) on @flowgram.ai/runtime-js 1.0.9 (one warm Node.js process)
// and on AgentFlow (in process, public FlowGramTaskApi, in-memory), one run after the other; see bench/README.md.
//   dotnet run -c Release --project bench/FlowGram/AgentFlow.FlowGram.Bench [-- --seconds 5 --warmup-seconds 3 --only chain-20,loop-100 --recycle-api 0]
// --recycle-api N replaces AgentFlow's task API every N runs (default 0: one API keeps every task, like runtime-js).
// --with-report true makes a run also read the task's report (TaskReport) on both runtimes: AgentFlow builds
// snapshots when a report is read, runtime-js while the task runs, so this shows the cost with that work included.
// --agentflow-only true times AgentFlow alone (no Node.js) and adds GC figures: the mode to run under `perf`.
// Every workflow is first run once on both runtimes and the statuses and results compared; any difference stops the
// benchmark (exit code 1) before anything is timed.
var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["seconds"] = "5", ["warmup-seconds"] = "3", ["only"] = "", ["recycle-api"] = "0", ["agentflow-only"] = "false", ["with-report"] = "false" };
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

var seconds = double.Parse(options["seconds"], CultureInfo.InvariantCulture);
var warmupSeconds = double.Parse(options["warmup-seconds"], CultureInfo.InvariantCulture);
var only = options["only"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var directory = BenchDirectory.Find();
var workflows = Directory.GetFiles(Path.Combine(directory, "schemas"), "*.json").Order(StringComparer.Ordinal)
    .Select(Workflow.Load).Where(w => only.Length == 0 || only.Contains(w.Name)).ToList();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var recycleApi = int.Parse(options["recycle-api"], CultureInfo.InvariantCulture);
var withReport = bool.Parse(options["with-report"]);
using var agentFlow = new AgentFlowSide(recycleApi, withReport);
var checks = new Dictionary<string, (string? Status, JsonObject? Result, int NodeRuns)>(StringComparer.Ordinal);
foreach (var workflow in workflows)
{
    var (taskId, result) = await agentFlow.RunAsync(workflow.Schema, workflow.Inputs, cancel.Token);
    checks[workflow.Name] = (agentFlow.Status(taskId), result, agentFlow.NodeRuns(taskId));
}

if (bool.Parse(options["agentflow-only"]))
{
    return await AgentFlowProfile.RunAsync(agentFlow, workflows, checks.ToDictionary(c => c.Key, c => c.Value.Status), warmupSeconds, seconds, cancel.Token);
}

var js = new Dictionary<string, Measurement>(StringComparer.Ordinal);
using (var runtimeJs = await RuntimeJsSide.StartAsync(directory, workflows, warmupSeconds, seconds, withReport, cancel.Token))
{
    foreach (var _ in workflows)
    {
        var check = await runtimeJs.ReadAsync(cancel.Token);
        var name = check["name"]!.GetValue<string>();
        var ours = checks[name];
        var theirs = (Status: check["status"]?.GetValue<string>(), Result: check["result"] as JsonObject);
        if (ours.Status != theirs.Status || !JsonNode.DeepEquals(ours.Result, theirs.Result) || ours.Status != "succeeded")
        {
            Console.Error.WriteLine($"{name}: the runtimes disagree, nothing timed.\n  runtime-js: {theirs.Status} {theirs.Result?.ToJsonString()}\n  AgentFlow:  {ours.Status} {ours.Result?.ToJsonString()}");
            return 1;
        }
    }

    foreach (var _ in workflows)
    {
        var timing = await runtimeJs.ReadAsync(cancel.Token);
        js[timing["name"]!.GetValue<string>()] = new Measurement(timing["runs"]!.GetValue<int>(), timing["seconds"]!.GetValue<double>(), timing["cpuSeconds"]!.GetValue<double>());
    }
}

var ourFigures = new Dictionary<string, Measurement>(StringComparer.Ordinal);
foreach (var workflow in workflows)
{
    await Measurement.TimeAsync(() => agentFlow.RunAsync(workflow.Schema, workflow.Inputs, cancel.Token), warmupSeconds);
    ourFigures[workflow.Name] = await Measurement.TimeAsync(() => agentFlow.RunAsync(workflow.Schema, workflow.Inputs, cancel.Token), seconds);
}

Console.WriteLine(FormattableString.Invariant($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {BenchDirectory.LoadAverage()}; warm-up {warmupSeconds} s, timed {seconds} s per workflow and runtime; AgentFlow task API {(recycleApi > 0 ? $"replaced every {recycleApi} runs" : "kept for the whole run")}; a run {(withReport ? "reads the result and the report" : "reads the result")}; results checked equal -->"));
Console.WriteLine("| workflow | node runs per run | runtime-js runs/s | AgentFlow runs/s | AgentFlow / runtime-js | runtime-js CPU per run | AgentFlow CPU per run | CPU ratio (runtime-js / AgentFlow) | AgentFlow allocated per run |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var workflow in workflows)
{
    var (theirs, ours) = (js[workflow.Name], ourFigures[workflow.Name]);
    Console.WriteLine(FormattableString.Invariant(
        $"| {workflow.Name} | {checks[workflow.Name].NodeRuns} | {theirs.RunsPerSecond:N0} | {ours.RunsPerSecond:N0} | {ours.RunsPerSecond / theirs.RunsPerSecond:0.0}× | {theirs.CpuMicrosecondsPerRun:N0} µs | {ours.CpuMicrosecondsPerRun:N0} µs | {theirs.CpuMicrosecondsPerRun / ours.CpuMicrosecondsPerRun:0.0}× | {ours.KilobytesAllocatedPerRun:N0} KB |"));
}

return 0;
