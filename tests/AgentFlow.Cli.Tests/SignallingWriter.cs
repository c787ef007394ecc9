using System.Text;

namespace AgentFlow.Cli.Tests;

/// <summary>Collects progress output and cancels a token once a line shows <c>node started</c>: a test's Ctrl+C.</summary>
internal sealed class SignallingWriter(string node, CancellationTokenSource cancellation) : StringWriter
{
    private readonly StringBuilder _line = new();

    public override void Write(char value)
    {
        base.Write(value);
        if (value != '\n')
        {
            _line.Append(value);
            return;
        }

        var line = _line.ToString();
        _line.Clear();
        if (System.Text.RegularExpressions.Regex.IsMatch(line, $@"\s{node}\s+(started|waiting)"))
        {
            cancellation.Cancel();
        }
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        foreach (var c in buffer.Span)
        {
            Write(c);
        }

        Write('\n');
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLineAsync((value ?? string.Empty).AsMemory());
        return Task.CompletedTask;
    }
}
