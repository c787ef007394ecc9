using AgentFlow.Core.Definitions;
using AgentFlow.Core.Dsl;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Dsl;

public sealed class WorkflowLoaderTests
{
    internal const string GoodYaml = """
        id: order-pipeline
        name: Order pipeline
        version: 2
        description: Fetches an order and routes it.
        timeout: 5m
        inputs:
          orderId: { type: string, required: true, description: The order to process }
          priority: { type: string, enum: [low, high], default: low }
          amount: number
          apiKey: { type: string, secret: true }
        variables: { counter: 0 }
        nodes:
          - id: fetch
            kind: http
            with: { url: "http://127.0.0.1:8080/orders/${{ inputs.orderId }}", method: GET }
            retry: { maxAttempts: 5, backoff: exponential, delay: 200ms, multiplier: 2, maxDelay: 5s, jitter: 0.2, retryOn: [http.status, timeout] }
            timeout: 10s
            fallback: { items: [] }
          - id: route
            kind: condition
            needs: fetch
            if: ${{ nodes.fetch.output.total > 100 }}
          - id: big
            kind: noop
            needs: [route.true]
          - id: pick
            kind: switch
            needs: fetch
            cases:
              - { name: high, when: "${{ inputs.priority == 'high' }}" }
              - { name: low, when: "inputs.priority == 'low'" }
            default: other
          - id: each
            kind: map
            needs: fetch
            items: ${{ nodes.fetch.output.items }}
            concurrency: 4
            body:
              nodes:
                - id: double
                  kind: transform
                  with: "${{ item.id * 2 }}"
              outputs:
                value: ${{ nodes.double.output }}
          - id: child
            kind: subworkflow
            needs: fetch
            workflow: enrich
            with: { orderId: "${{ inputs.orderId }}" }
          - id: merge
            kind: assign
            needs: [big, pick.high]
            join: any
            with: { counter: "${{ vars.counter + 1 }}" }
        edges:
          - { from: child, to: merge, when: "${{ nodes.child.output.ok }}" }
        outputs:
          total: ${{ nodes.fetch.output.total }}
        workflows:
          enrich:
            id: enrich
            inputs: { orderId: { type: string, required: true } }
            nodes:
              - { id: echo, kind: transform, with: "${{ inputs.orderId }}" }
            outputs: { value: "${{ nodes.echo.output }}" }
        """;

    internal const string GoodJson = """
        {
          "id": "order-pipeline",
          "name": "Order pipeline",
          "version": 2,
          "description": "Fetches an order and routes it.",
          "timeout": "5m",
          "inputs": {
            "orderId": { "type": "string", "required": true, "description": "The order to process" },
            "priority": { "type": "string", "enum": ["low", "high"], "default": "low" },
            "amount": "number",
            "apiKey": { "type": "string", "secret": true }
          },
          "variables": { "counter": 0 },
          "nodes": [
            {
              "id": "fetch", "kind": "http",
              "with": { "url": "http://127.0.0.1:8080/orders/${{ inputs.orderId }}", "method": "GET" },
              "retry": { "maxAttempts": 5, "backoff": "exponential", "delay": "200ms", "multiplier": 2, "maxDelay": "5s", "jitter": 0.2, "retryOn": ["http.status", "timeout"] },
              "timeout": "10s",
              "fallback": { "items": [] }
            },
            { "id": "route", "kind": "condition", "needs": "fetch", "if": "${{ nodes.fetch.output.total > 100 }}" },
            { "id": "big", "kind": "noop", "needs": ["route.true"] },
            {
              "id": "pick", "kind": "switch", "needs": "fetch",
              "cases": [
                { "name": "high", "when": "${{ inputs.priority == 'high' }}" },
                { "name": "low", "when": "inputs.priority == 'low'" }
              ],
              "default": "other"
            },
            {
              "id": "each", "kind": "map", "needs": "fetch",
              "items": "${{ nodes.fetch.output.items }}",
              "concurrency": 4,
              "body": {
                "nodes": [ { "id": "double", "kind": "transform", "with": "${{ item.id * 2 }}" } ],
                "outputs": { "value": "${{ nodes.double.output }}" }
              }
            },
            { "id": "child", "kind": "subworkflow", "needs": "fetch", "workflow": "enrich", "with": { "orderId": "${{ inputs.orderId }}" } },
            { "id": "merge", "kind": "assign", "needs": ["big", "pick.high"], "join": "any", "with": { "counter": "${{ vars.counter + 1 }}" } }
          ],
          "edges": [ { "from": "child", "to": "merge", "when": "${{ nodes.child.output.ok }}" } ],
          "outputs": { "total": "${{ nodes.fetch.output.total }}" },
          "workflows": {
          	"enrich": {
          		"id": "enrich",
          		"inputs": { "orderId": { "type": "string", "required": true } },
          		"nodes": [ { "id": "echo", "kind": "transform", "with": "${{ inputs.orderId }}" } ],
          		"outputs": { "value": "${{ nodes.echo.output }}" }
          	}
          }
        }
        """;

    [Fact]
    public void Load_GoodYamlAndSameJson_ProduceEqualDefinitions()
    {
        var yaml = DslAssert.LoadOk(GoodYaml, "order.yaml");
        var json = DslAssert.LoadOk(GoodJson, "order.json");

        Assert.Equal(DefinitionDump.Dump(yaml), DefinitionDump.Dump(json));
    }

    [Fact]
    public void Load_GoodYaml_BuildsEveryPart()
    {
        var w = DslAssert.LoadOk(GoodYaml);

        Assert.Equal("order-pipeline", w.Id);
        Assert.Equal(2, w.Version);
        Assert.Equal(TimeSpan.FromMinutes(5), w.Timeout);
        Assert.Equal(["orderId", "priority", "amount", "apiKey"], w.Inputs.Select(i => i.Name));
        Assert.True(w.Inputs[0].Required);
        Assert.Equal(DataType.Number, w.Inputs[2].Type);
        Assert.False(w.Inputs[2].Required);
        Assert.True(w.Inputs[3].Secret);
        Assert.Equal(new Value[] { "low", "high" }, w.Inputs[1].AllowedValues);
        Assert.Equal((Value)"low", w.Inputs[1].Default);
        Assert.Equal((Value)0, w.Variables.Single().Initial);

        var fetch = w.Nodes[0];
        Assert.Equal(new RetryPolicy(5, BackoffKind.Exponential, TimeSpan.FromMilliseconds(200), 2, TimeSpan.FromSeconds(5), 0.2, []), fetch.Retry with { RetryOn = [] });
        Assert.Equal("http.status,timeout", string.Join(",", fetch.Retry.RetryOn));
        Assert.Equal(TimeSpan.FromSeconds(10), fetch.Timeout);
        Assert.Equal(ErrorStrategy.Fallback, fetch.OnError);
        Assert.Equal(4, w.Nodes.Single(n => n.Id == "each").Concurrency);
        Assert.Equal("enrich", w.Nodes.Single(n => n.Id == "child").WorkflowRef);
        Assert.Equal(JoinMode.Any, w.Nodes.Single(n => n.Id == "merge").Join);
        Assert.Single(w.Workflows);
        Assert.Equal("total", w.Outputs.Single().Name);
    }

    [Fact]
    public void Load_NeedsAndEdges_NormaliseIntoEdges()
    {
        var w = DslAssert.LoadOk(GoodYaml);

        var edges = w.Edges.Select(e => $"{e.From}{(e.Branch is null ? "" : "." + e.Branch)}->{e.To}{(e.When is null ? "" : "?")}").ToList();
        Assert.Equal(
            ["fetch->route", "route.true->big", "fetch->pick", "fetch->each", "fetch->child", "big->merge", "pick.high->merge", "child->merge?"],
            edges);
        var needsEdge = w.Edges[1];
        Assert.Equal((25, 13), (needsEdge.Location.Line, needsEdge.Location.Column));
        Assert.Equal("$.nodes[2].needs[0]", needsEdge.Location.Path);
    }

    [Fact]
    public void Load_ConditionAndSwitch_BecomeBranches()
    {
        var w = DslAssert.LoadOk(GoodYaml);

        var route = w.Nodes.Single(n => n.Id == "route");
        Assert.Equal(["true", "false"], route.Branches.Select(b => b.Name));
        Assert.NotNull(route.Branches[0].When);
        Assert.Null(route.Branches[1].When);
        var pick = w.Nodes.Single(n => n.Id == "pick");
        Assert.Equal(["high", "low", "other"], pick.Branches.Select(b => b.Name));
        Assert.Equal("inputs.priority == 'low'", pick.Branches[1].When!.Text.Trim());
        Assert.Null(pick.Branches[2].When);
    }

    [Fact]
    public void Load_MapBody_IsNestedGraphNamedAfterNode()
    {
        var each = DslAssert.LoadOk(GoodYaml).Nodes.Single(n => n.Id == "each");

        Assert.NotNull(each.Body);
        Assert.Equal("each", each.Body!.Id);
        Assert.Equal("double", each.Body.Nodes.Single().Id);
        Assert.Equal("$.nodes[4].body.nodes[0]", each.Body.Nodes[0].Location.Path);
        Assert.NotNull(each.Items);
    }

    [Fact]
    public void Load_NodesAsMapping_UsesKeysAsIds()
    {
        var w = DslAssert.LoadOk("""
            id: w
            nodes:
              first: { kind: noop }
              second: { kind: noop, needs: first }
            """);

        Assert.Equal(["first", "second"], w.Nodes.Select(n => n.Id));
        Assert.Equal("$.nodes.second", w.Nodes[1].Location.Path);
        Assert.Equal(("first", "second"), (w.Edges.Single().From, w.Edges.Single().To));
    }

    [Fact]
    public void Load_RetryBlockWithoutSettings_UsesBlockDefaults()
    {
        var w = DslAssert.LoadOk("""
            id: w
            nodes:
              - { id: a, kind: noop, retry: {} }
              - { id: b, kind: noop }
              - { id: c, kind: noop, retry: 4 }
            """);

        Assert.Equal(new RetryPolicy(3, BackoffKind.Exponential, TimeSpan.FromSeconds(1), 2, null, 0, []).ToString(), w.Nodes[0].Retry.ToString());
        Assert.Same(RetryPolicy.None, w.Nodes[1].Retry);
        Assert.Equal(4, w.Nodes[2].Retry.MaxAttempts);
    }

    [Fact]
    public void Load_KindInferredFromControlKeys()
    {
        var w = DslAssert.LoadOk("""
            id: w
            nodes:
              - { id: a, kind: noop }
              - { id: b, needs: a, if: "true" }
            """);

        Assert.Equal("condition", w.Nodes[1].Kind);
    }

    [Fact]
    public void Load_InlineSubworkflowBody_IsValidatedAsOwnWorkflow()
    {
        var w = DslAssert.LoadOk("""
            id: w
            inputs: { x: string }
            nodes:
              - id: call
                kind: subworkflow
                with: { y: "${{ inputs.x }}" }
                body:
                  inputs: { y: { type: string, required: true } }
                  nodes: [ { id: t, kind: transform, with: "${{ inputs.y }}" } ]
            """);

        Assert.Equal("call", w.Nodes[0].Body!.Id);
        Assert.Equal("y", w.Nodes[0].Body!.Inputs.Single().Name);
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsDiagnostic()
    {
        var result = WorkflowLoader.LoadFile("/nonexistent/dir/wf.yaml", NodeKindCatalog.BuiltIn);

        Assert.False(result.Succeeded);
        Assert.Equal("AF1003", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void LoadFile_RealFile_ChoosesJsonByExtension()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentflow-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, GoodJson);
        try
        {
            var result = WorkflowLoader.LoadFile(path, NodeKindCatalog.BuiltIn);
            Assert.True(result.Succeeded, DslAssert.Dump(result.Diagnostics));
            Assert.Equal(path, result.Definition!.Location.File);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
