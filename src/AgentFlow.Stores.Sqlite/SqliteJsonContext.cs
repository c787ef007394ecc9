using System.Text.Json.Serialization;

namespace AgentFlow.Stores.Sqlite;

/// <summary>Source-generated JSON for the store's own columns (labels).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
