using System.Text;

namespace AgentFlow.Server.Tests.Observability;

/// <summary>
/// The parts of an OTLP span the tests check, decoded from <c>ExportTraceServiceRequest</c> protobuf by reading the
/// wire format directly (field numbers from opentelemetry-proto trace.proto and common.proto; no generated classes).
/// </summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, ulong StartNanos, ulong EndNanos, IReadOnlyDictionary<string, string> Attributes)
{
    public static IEnumerable<OtlpSpan> Decode(byte[] request)
    {
        // ExportTraceServiceRequest.resource_spans = 1 → ResourceSpans.scope_spans = 2 → ScopeSpans.spans = 2.
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return DecodeSpan(span);
                }
            }
        }
    }

    private static OtlpSpan DecodeSpan(byte[] span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, wireType, value, bytes) in Read(span))
        {
            switch (number)
            {
                case 1: traceId = Convert.ToHexStringLower(bytes!); break;
                case 2: spanId = Convert.ToHexStringLower(bytes!); break;
                case 4: parent = Convert.ToHexStringLower(bytes!); break;
                case 5: name = Encoding.UTF8.GetString(bytes!); break;
                case 7 when wireType == 1: start = value; break;
                case 8 when wireType == 1: end = value; break;
                case 9:
                    // KeyValue: key = 1, value = 2 (AnyValue: string_value = 1, bool = 2, int = 3).
                    var key = Encoding.UTF8.GetString(Fields(bytes!, 1).First());
                    var any = Read(Fields(bytes!, 2).First()).First();
                    attributes[key] = any.Bytes is { } text ? Encoding.UTF8.GetString(text) : any.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, start, end, attributes);
    }

    private static IEnumerable<byte[]> Fields(byte[] message, int number) =>
        Read(message).Where(f => f.Number == number && f.Bytes is not null).Select(f => f.Bytes!);

    private static List<(int Number, int WireType, ulong Value, byte[]? Bytes)> Read(byte[] message)
    {
        var fields = new List<(int, int, ulong, byte[]?)>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var (number, wireType) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wireType)
            {
                case 0:
                    fields.Add((number, wireType, Varint(message, ref position), null));
                    break;
                case 1:
                    fields.Add((number, wireType, BitConverter.ToUInt64(message, position), null));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((number, wireType, 0, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    fields.Add((number, wireType, BitConverter.ToUInt32(message, position), null));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType} for field {number}.");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }
}
