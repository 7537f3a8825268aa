namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// The job engine's tests run one after another: each starts engine nodes with several loops and
/// connections, and their functional time bounds (a cancellation within 2 s) should not compete with
/// each other for the machine's two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class JobEngineSerial
{
    public const string Name = "Job engine";
}
