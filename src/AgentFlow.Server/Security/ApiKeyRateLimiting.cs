using System.Globalization;
using System.Threading.RateLimiting;
using AgentFlow.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace AgentFlow.Server.Security;

/// <summary>
/// A token bucket per API key: a key may burst up to <see cref="SecurityOptions.RateLimitBurst"/> requests and then
/// <see cref="SecurityOptions.RateLimitTokensPerPeriod"/> per period; beyond that the answer is 429 with
/// <c>Retry-After</c>. Requests without a key (authentication off, open routes) are not limited here.
/// </summary>
internal static class ApiKeyRateLimiting
{
    public static void Configure(RateLimiterOptions limiter, SecurityOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            options.RateLimitBurst > 0 && context.GetApiKey() is { } key
                ? RateLimitPartition.GetTokenBucketLimiter(key.Prefix, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitBurst,
                    TokensPerPeriod = Math.Max(1, options.RateLimitTokensPerPeriod),
                    ReplenishmentPeriod = options.RateLimitPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
        limiter.OnRejected = (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;

            // Whole seconds, at least one: Retry-After takes no fractions, and 0 would invite an immediate retry.
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.RateLimitPeriod;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return new ValueTask(ApiProblems.Problem(
                StatusCodes.Status429TooManyRequests,
                "rate-limited",
                "Too many requests",
                $"The API key {context.GetApiKey()?.Prefix} made more than {options.RateLimitBurst} requests in a burst; retry after {seconds} s.").ExecuteAsync(context));
        };
    }
}
