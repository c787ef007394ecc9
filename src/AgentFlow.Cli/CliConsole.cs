namespace AgentFlow.Cli;

/// <summary>Where the CLI writes: results to <see cref="Out"/>, progress and errors to <see cref="Error"/>.</summary>
/// <param name="Interactive">True when <see cref="Error"/> is a terminal, so progress can redraw in place.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool Interactive)
{
    public static CliConsole FromSystemConsole() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
