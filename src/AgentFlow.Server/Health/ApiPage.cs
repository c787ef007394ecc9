using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.Health;

/// <summary>The browsable API page: a static HTML page (no CDN) that renders <c>/openapi/v1.json</c>.</summary>
internal static class ApiPage
{
    public static IEndpointRouteBuilder MapApiPage(this IEndpointRouteBuilder routes)
    {
        var html = Read("index.html");
        foreach (var path in (string[])["/", "/docs"])
        {
            routes.MapGet(path, () => Results.Text(html, "text/html; charset=utf-8")).ExcludeFromDescription();
        }

        return routes;
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AgentFlow.Server.wwwroot." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
