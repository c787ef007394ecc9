using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Security;

/// <summary>The seams between the routes and the security layer: required scopes and the caller's tenant.</summary>
public static class SecurityExtensions
{
    /// <summary>The <see cref="HttpContext.Items"/> key where authentication puts the caller's tenant id.</summary>
    public const string TenantItemKey = "agentflow.tenant";

    /// <summary>The tenant of unauthenticated callers (authentication off, loopback only).</summary>
    public const string DefaultTenant = "default";

    /// <summary>Marks endpoints as needing <paramref name="scope"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        builder.WithMetadata(new RequiredScopeMetadata(scope));
        return builder;
    }

    /// <summary>The tenant every read and write of this request is scoped to.</summary>
    public static string GetTenantId(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[TenantItemKey] as string ?? DefaultTenant;
    }
}
