using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentFlow.FlowGram.Values;

/// <summary>Serializer options shared by the FlowGram layer.</summary>
internal static class JsonOptions
{
    /// <summary>Writes non-ASCII text as is, like <c>JSON.stringify</c>.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
