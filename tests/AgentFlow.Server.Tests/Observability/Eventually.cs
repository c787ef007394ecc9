namespace AgentFlow.Server.Tests.Observability;

/// <summary>
/// Telemetry is recorded on the execution's loop just after the append that makes the execution look finished through
/// the API, so a test polls briefly for it instead of assuming it is already there.
/// </summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(20, limit.Token);
        }
    }
}
