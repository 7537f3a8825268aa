namespace Loupe.Domain.Common;

/// <summary>
/// The SQLSTATE codes Loupe reads or gives, named once: PostgreSQL's own (its manual's appendix
/// "PostgreSQL Error Codes" lists them), given by PostgreSQL data sources and Loupe's database, and
/// given by the SQLite connector for the failure of the same meaning. Loupe's own <c>LPnnn</c> codes
/// are in <see cref="Runs.LoupeErrorCodes"/>.
/// </summary>
public static class SqlStates
{
    // Class 08: connection exception.
    public const string ConnectionException = "08000";
    public const string ConnectionDoesNotExist = "08003";
    public const string ConnectionFailure = "08006";
    public const string SqlClientUnableToEstablishConnection = "08001";
    public const string SqlServerRejectedConnection = "08004";
    public const string ProtocolViolation = "08P01";

    // Class 0A: feature not supported.
    public const string FeatureNotSupported = "0A000";

    // Class 22: data exception.
    public const string DataException = "22000";
    public const string InvalidParameterValue = "22023";

    // Class 23: integrity constraint violation.
    public const string IntegrityConstraintViolation = "23000";
    public const string ForeignKeyViolation = "23503";
    public const string UniqueViolation = "23505";

    // Class 25: invalid transaction state.
    public const string ReadOnlySqlTransaction = "25006";

    // Class 40: transaction rollback.
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    // Class 42: syntax error or access rule violation.
    public const string SyntaxErrorOrAccessRuleViolation = "42000";
    public const string InsufficientPrivilege = "42501";
    public const string SyntaxError = "42601";
    public const string UndefinedColumn = "42703";
    public const string UndefinedFunction = "42883";
    public const string UndefinedTable = "42P01";
    public const string UndefinedParameter = "42P02";

    // Class 53: insufficient resources.
    public const string OutOfMemory = "53200";
    public const string TooManyConnections = "53300";

    // Class 54: program limit exceeded.
    public const string ProgramLimitExceeded = "54000";

    // Class 55: object not in prerequisite state.
    public const string LockNotAvailable = "55P03";

    // Class 57: operator intervention.
    public const string QueryCanceled = "57014";
    public const string AdminShutdown = "57P01";
    public const string CrashShutdown = "57P02";
    public const string CannotConnectNow = "57P03";
    public const string IdleSessionTimeout = "57P05";

    // Class 58: system error (errors external to PostgreSQL itself).
    public const string SystemError = "58000";
    public const string IoError = "58030";
    public const string UndefinedFile = "58P01";

    // Class XX: internal error.
    public const string DataCorrupted = "XX001";
}
