namespace AgentFlow.Server.Security;

/// <summary>Endpoint metadata naming the scope a caller needs; the security layer enforces it.</summary>
/// <param name="Scope">One of <see cref="Scopes"/>.</param>
public sealed record RequiredScopeMetadata(string Scope);
