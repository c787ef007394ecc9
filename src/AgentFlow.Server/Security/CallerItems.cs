using AgentFlow.Core.Persistence;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Security;

/// <summary>What authentication leaves in <see cref="HttpContext.Items"/> beside the tenant.</summary>
internal static class CallerItems
{
    /// <summary>The authenticated key (an <see cref="ApiKey"/>); absent when authentication is off.</summary>
    public const string Key = "agentflow.key";

    /// <summary>The key the request was authenticated with, if any.</summary>
    public static ApiKey? GetApiKey(this HttpContext context) => context.Items[Key] as ApiKey;
}
