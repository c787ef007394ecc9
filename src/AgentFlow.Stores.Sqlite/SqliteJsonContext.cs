using System.Text.Json.Serialization;

namespace AgentFlow.Stores.Sqlite;

/// <summary>Source-generated JSON for the store's own columns (labels) and id-list parameters.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
