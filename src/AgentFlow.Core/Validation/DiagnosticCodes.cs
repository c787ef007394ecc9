namespace AgentFlow.Core.Validation;

/// <summary>The stable codes of loader and validator diagnostics (documented in docs/dsl.md).</summary>
public static class DiagnosticCodes
{
    // AF10xx: reading the document.
    public const string YamlSyntax = "AF1001";
    public const string JsonSyntax = "AF1002";
    public const string FileUnreadable = "AF1003";
    public const string NotAMapping = "AF1004";
    public const string UnknownKey = "AF1010";
    public const string WrongType = "AF1011";
    public const string MissingKey = "AF1012";
    public const string InvalidDuration = "AF1013";
    public const string InvalidValue = "AF1014";
    public const string KeyNotForKind = "AF1015";
    public const string ExpressionSyntax = "AF1016";

    // AF11xx: graph structure.
    public const string InvalidId = "AF1101";
    public const string DuplicateId = "AF1102";
    public const string UnknownKind = "AF1103";
    public const string UnknownEdgeNode = "AF1104";
    public const string UnknownBranch = "AF1105";
    public const string Cycle = "AF1106";
    public const string Unreachable = "AF1107";
    public const string DuplicateBranch = "AF1108";

    // AF12xx: expression references.
    public const string UnknownRoot = "AF1201";
    public const string UnknownInput = "AF1202";
    public const string UnknownVariable = "AF1203";
    public const string UnknownNodeReference = "AF1204";
    public const string NotAncestor = "AF1205";

    // AF13xx: parameters, settings and types.
    public const string MissingParameter = "AF1301";
    public const string UnknownParameter = "AF1302";
    public const string ParameterType = "AF1303";
    public const string ValueNotAllowed = "AF1304";
    public const string InvalidSetting = "AF1305";
    public const string MissingSetting = "AF1306";
    public const string UnknownWorkflow = "AF1307";
    public const string MissingChildInput = "AF1308";
    public const string UnknownChildInput = "AF1309";
    public const string ChildInputType = "AF1310";
    public const string DefaultType = "AF1311";
    public const string DefaultNotInEnum = "AF1312";
    public const string FallbackMismatch = "AF1313";
}
