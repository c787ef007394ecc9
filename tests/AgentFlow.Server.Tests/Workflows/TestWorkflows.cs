namespace AgentFlow.Server.Tests.Workflows;

/// <summary>Workflow documents the tests send.</summary>
internal static class TestWorkflows
{
    public static string Greet(string id = "greet", string greeting = "hello") => $$$"""
        id: {{{id}}}
        name: Greeting flow
        inputs:
          name: { type: string, required: true }
        nodes:
          - id: hello
            kind: transform
            with: "{{{greeting}}} ${{ inputs.name }}"
        outputs:
          greeting: ${{ nodes.hello.output }}
        """;

    /// <summary>Waits for an <c>approval</c> signal, then echoes its payload.</summary>
    public const string Approval = """
        id: approval
        nodes:
          - id: ask
            kind: wait
            with: { signal: approval }
          - id: done
            kind: transform
            needs: ask
            with: ${{ nodes.ask.output }}
        outputs:
          answer: ${{ nodes.done.output }}
        """;

    /// <summary>Three steps with a sleep between, long enough to watch live.</summary>
    public static string Slow(string sleep = "300ms") => $$$"""
        id: slow
        nodes:
          - id: first
            kind: transform
            with: 1
          - id: pause
            kind: sleep
            needs: first
            with: { duration: {{{sleep}}} }
          - id: last
            kind: transform
            needs: pause
            with: 2
        outputs:
          last: ${{ nodes.last.output }}
        """;

    /// <summary>Its second node fails on the first attempt only (no retry policy), so the execution fails once.</summary>
    public const string FailsOnce = """
        id: fails-once
        nodes:
          - id: first
            kind: transform
            with: 1
          - id: flaky
            kind: chaos
            needs: first
            with: { failAttempts: 1, output: ok }
        outputs:
          flaky: ${{ nodes.flaky.output }}
        """;
}
