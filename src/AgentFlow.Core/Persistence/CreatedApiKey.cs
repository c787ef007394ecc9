namespace AgentFlow.Core.Persistence;

/// <summary>A key just created: its stored form and the full key text, which is shown once and never stored.</summary>
/// <param name="Secret">The whole key, <c>af_&lt;prefix&gt;_&lt;secret&gt;</c>, to hand to the client.</param>
public sealed record CreatedApiKey(ApiKey Key, string Secret)
{
    /// <summary>Keeps the secret out of logs and debugger views that print the record.</summary>
    public override string ToString() => $"CreatedApiKey {{ Key = {Key}, Secret = *** }}";
}
