using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

/// <summary>Reads rows into the contract's records; times are stored as UTC ticks.</summary>
internal static partial class PostgresRows
{
    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Reads the columns of <see cref="PostgresSql.ExecutionColumns"/> starting at <paramref name="first"/>.</summary>
    public static ExecutionRecord ReadExecution(NpgsqlDataReader reader, int first = 0) => new(
        reader.GetString(first),
        reader.GetString(first + 1),
        reader.GetInt32(first + 2),
        ExecutionStatusNames.Parse(reader.GetString(first + 3)),
        Time(reader.GetInt64(first + 4)),
        Time(reader.GetInt64(first + 5)),
        reader.IsDBNull(first + 6) ? null : Time(reader.GetInt64(first + 6)),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        ReadLabels(reader.GetString(first + 8)),
        reader.GetInt64(first + 9));

    public static StoredDefinition ReadDefinition(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), Time(reader.GetInt64(5)));

    public static StoredSignal ReadSignal(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), Time(reader.GetInt64(5)));

    public static string WriteLabels(IReadOnlyDictionary<string, string> labels) =>
        JsonSerializer.Serialize(labels as Dictionary<string, string> ?? new Dictionary<string, string>(labels, StringComparer.Ordinal), LabelsJsonContext.Default.DictionaryStringString);

    private static ReadOnlyDictionary<string, string> ReadLabels(string json) =>
        json == "{}" ? ReadOnlyDictionary<string, string>.Empty
            : new(JsonSerializer.Deserialize(json, LabelsJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string>(StringComparer.Ordinal));

    [JsonSerializable(typeof(Dictionary<string, string>))]
    private sealed partial class LabelsJsonContext : JsonSerializerContext;
}
