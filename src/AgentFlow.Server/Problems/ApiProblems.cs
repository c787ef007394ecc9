using AgentFlow.Core.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Problems;

/// <summary>The problem+json (RFC 9457) responses the API gives; every error goes through here or the middleware.</summary>
internal static class ApiProblems
{
    public const string TypeBase = "https://agentflow.dev/problems/";

    public static IResult NotFound(string what, string id) => Problem(
        StatusCodes.Status404NotFound, "not-found", "Not found", $"No {what} '{id}' exists (for this tenant).");

    public static IResult BadRequest(string detail, string code = "bad-request", IReadOnlyList<ApiError>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, code, "Bad request", detail, errors);

    public static IResult Invalid(string detail, IEnumerable<Diagnostic> diagnostics) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "validation", "Validation failed", detail, diagnostics.Select(ApiError.From).ToList());

    public static IResult Conflict(string detail, string code = "conflict") =>
        Problem(StatusCodes.Status409Conflict, code, "Conflict", detail);

    public static IResult UnsupportedMediaType(string detail) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", detail);

    public static IResult Unavailable(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", detail);

    public static IResult Problem(int status, string code, string title, string detail, IReadOnlyList<ApiError>? errors = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypeBase + code, extensions: extensions);
    }
}
