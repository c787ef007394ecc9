using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Problems;

/// <summary>
/// Makes every error a problem+json response: exceptions (bad requests, malformed JSON, oversized bodies, wrong content
/// types found while binding) through the exception handler, and empty error responses (unknown routes, 405) through
/// the status code pages.
/// </summary>
internal static class ProblemSetup
{
    public static IServiceCollection AddApiProblems(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize);

    public static WebApplication UseApiProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                JsonException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Instance ??= context.HttpContext.Request.Path;
        var code = status switch
        {
            StatusCodes.Status400BadRequest => "bad-request",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status413PayloadTooLarge => "body-too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            _ => status >= 500 ? "internal" : "error",
        };
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = code;
            problem.Type = ApiProblems.TypeBase + code;
        }

        var exception = context.Exception ?? context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            problem.Detail = Describe(bad, context.HttpContext);
            if (bad.InnerException is JsonException json)
            {
                problem.Extensions["errors"] = new[] { new ApiError("malformed-json", json.Message, new ApiErrorLocation(Line(json.LineNumber), Column(json.BytePositionInLine), json.Path), "Send one valid JSON document.") };
            }
        }
        else if (exception is not null && status >= 500)
        {
            problem.Detail = "The server failed while handling the request; the error was logged.";
        }
        else if (status == StatusCodes.Status404NotFound && problem.Detail is null)
        {
            problem.Detail = $"No route matches {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}; see /openapi/v1.json for the routes.";
        }
        else if (status == StatusCodes.Status413PayloadTooLarge && problem.Detail is null)
        {
            problem.Detail = TooLarge(context.HttpContext);
        }
        else if (status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
        {
            problem.Detail = $"Content-Type '{context.HttpContext.Request.ContentType}' is not accepted on {context.HttpContext.Request.Path}; send application/json.";
        }
        else if (status == StatusCodes.Status405MethodNotAllowed)
        {
            problem.Detail = $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}; see /openapi/v1.json for the methods it takes.";
        }

        if (IsFlowGramPath(context.HttpContext.Request.Path))
        {
            // FlowGram's client treats any JSON with a `code` as an error and shows `message`; keep its codes here.
            problem.Extensions["code"] = status switch
            {
                StatusCodes.Status404NotFound => "NOT_FOUND",
                StatusCodes.Status400BadRequest => "BAD_REQUEST",
                _ => status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST",
            };
            problem.Extensions["message"] = status == StatusCodes.Status404NotFound ? "Not found" : problem.Detail ?? problem.Title;
        }
    }

    private static string Describe(BadHttpRequestException bad, HttpContext context) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => TooLarge(context),
        StatusCodes.Status415UnsupportedMediaType => $"{bad.Message} Send Content-Type: application/json.",
        _ => bad.InnerException is JsonException json ? $"The request body is not valid JSON: {json.Message}" : bad.Message,
    };

    private static string TooLarge(HttpContext context) =>
        $"The request body is larger than the server accepts ({context.RequestServices.GetService<ServerOptions>()?.MaxRequestBodyBytes} bytes); send a smaller body.";

    private static bool IsFlowGramPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);

    private static int? Line(long? zeroBased) => zeroBased is { } line ? (int)line + 1 : null;

    private static int? Column(long? zeroBased) => zeroBased is { } column ? (int)column + 1 : null;
}
