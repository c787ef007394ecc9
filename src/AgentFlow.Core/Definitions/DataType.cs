namespace AgentFlow.Core.Definitions;

/// <summary>The declared type of a workflow input or node parameter.</summary>
public enum DataType
{
    Any = 0,
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}
