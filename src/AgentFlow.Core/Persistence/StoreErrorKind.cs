namespace AgentFlow.Core.Persistence;

/// <summary>The kinds of <see cref="StoreException"/>.</summary>
public enum StoreErrorKind
{
    /// <summary>The database failed in a way not listed here.</summary>
    Failed = 0,

    /// <summary>The file is not one of our databases, or it is damaged.</summary>
    NotADatabase,

    /// <summary>The database was written by a newer build with a schema this build does not know.</summary>
    SchemaTooNew,

    /// <summary>Another process or writer holds the database and did not let go within the busy timeout.</summary>
    Locked,
}
