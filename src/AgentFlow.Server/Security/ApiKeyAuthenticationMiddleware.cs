using System.Collections.Concurrent;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace AgentFlow.Server.Security;

/// <summary>
/// Authenticates requests to routes that name a scope (<see cref="RequiredScopeMetadata"/>): reads the key from
/// <c>Authorization: Bearer</c> or <c>X-Api-Key</c>, answers 401 when it is missing, unknown, revoked or expired and
/// 403 when it lacks the scope, and otherwise sets the caller's tenant for the handlers.
/// </summary>
/// <remarks>Routes without a scope (health, the API page, the OpenAPI document) stay open.</remarks>
internal sealed partial class ApiKeyAuthenticationMiddleware(
    RequestDelegate next,
    SecurityOptions options,
    RuntimeService runtime,
    TimeProvider time,
    ILogger<ApiKeyAuthenticationMiddleware> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";

    // Writing "last used" on every request would turn each read into a store write; once a minute per key is enough
    // for an operator deciding whether a key is still in use.
    private static readonly TimeSpan UseRecordInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRecorded = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeMetadata>() is not { } required)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!options.RequireApiKeys)
        {
            context.Items[SecurityExtensions.TenantItemKey] = SecurityExtensions.DefaultTenant;
            await next(context).ConfigureAwait(false);
            return;
        }

        if (PresentedKey(context.Request) is not { } presented)
        {
            await RefuseAsync(context, "missing-api-key", $"This route needs an API key: send 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>' (create one with 'agentflow keys create').").ConfigureAwait(false);
            return;
        }

        if (runtime.Store is not IApiKeyStore keys)
        {
            throw new InvalidOperationException("API keys are required but the configured store does not hold API keys; use a built-in store or turn authentication off on a loopback address.");
        }

        var key = await keys.FindApiKeyAsync(presented, context.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var refusal = key switch
        {
            null => ("invalid-api-key", "The API key is not valid; check that it was copied whole, or create a new one with 'agentflow keys create'."),
            { RevokedAt: { } revokedAt } => ("revoked-api-key", $"The API key {key.Prefix} was revoked at {revokedAt:O}; use another key."),
            _ when key.IsExpiredAt(now) => ("expired-api-key", $"The API key {key.Prefix} expired at {key.ExpiresAt:O}; create a new one with 'agentflow keys create'."),
            _ => default((string Code, string Detail)?),
        };
        if (refusal is { } reason)
        {
            LogRefused(logger, ApiKeyMaterial.PrefixOf(presented) ?? "(malformed)", reason.Code, context.Request.Path.Value ?? "/");
            await RefuseAsync(context, reason.Code, reason.Detail).ConfigureAwait(false);
            return;
        }

        if (!key!.HasScope(required.Scope))
        {
            LogForbidden(logger, key.Prefix, required.Scope, context.Request.Path.Value ?? "/");
            await ApiProblems.Problem(
                StatusCodes.Status403Forbidden,
                "missing-scope",
                "Forbidden",
                $"The API key {key.Prefix} has scopes {string.Join(", ", key.Scopes)}; this route needs '{required.Scope}'. Use a key with that scope.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Items[SecurityExtensions.TenantItemKey] = key.TenantId;
        context.Items[CallerItems.Key] = key;
        await RecordUseAsync(keys, key.Prefix, now, context.RequestAborted).ConfigureAwait(false);
        await next(context).ConfigureAwait(false);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var value = authorization.ToString();
            return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : null;
        }

        return request.Headers.TryGetValue(ApiKeyHeader, out var header) && !StringValues.IsNullOrEmpty(header) ? header.ToString().Trim() : null;
    }

    private static Task RefuseAsync(HttpContext context, string code, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.Problem(StatusCodes.Status401Unauthorized, code, "Unauthorized", detail).ExecuteAsync(context);
    }

    private async Task RecordUseAsync(IApiKeyStore keys, string prefix, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = _lastRecorded.GetOrAdd(prefix, DateTimeOffset.MinValue);
        if (now - last >= UseRecordInterval && _lastRecorded.TryUpdate(prefix, now, last))
        {
            await keys.RecordApiKeyUseAsync(prefix, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused API key {Prefix} ({Reason}) for {Path}")]
    private static partial void LogRefused(ILogger logger, string prefix, string reason, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key {Prefix} lacks scope {Scope} for {Path}")]
    private static partial void LogForbidden(ILogger logger, string prefix, string scope, string path);
}
