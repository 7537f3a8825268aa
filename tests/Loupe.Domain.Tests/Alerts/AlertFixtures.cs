using Loupe.Domain.Alerts;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;

namespace Loupe.Domain.Tests.Alerts;

internal static class AlertFixtures
{
    public static readonly Guid Organization = Guid.CreateVersion7();
    public static readonly Guid Owner = Guid.CreateVersion7();
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static SavedQuery Query()
    {
        var source = DataSource.Create(
            Guid.CreateVersion7(), Organization, "Warehouse", ConnectionSettings.Postgresql("db", 5432, "dw", "reader"), null, DataSourceLimits.Default, Now);
        return SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, "SELECT 1 AS amount", [], null, source, null, Now);
    }

    public static AlertCondition AmountAbove(decimal value) =>
        AlertCondition.Create(AlertSelector.FirstRow, "amount", AlertOperator.GreaterThan, AlertValue.Of(value));

    public static Alert New(int? rearmSeconds = null, bool muted = false, SavedQuery? query = null) =>
        Alert.Create(Guid.CreateVersion7(), query ?? Query(), Owner, " Sales drop ", AmountAbove(10), rearmSeconds, muted, [], Now);

    public static AlertEvaluation Outcome(AlertState state) => state switch
    {
        AlertState.Triggered => AlertEvaluation.Of(true, "11"),
        AlertState.Ok => AlertEvaluation.Of(false, "9"),
        _ => AlertEvaluation.Unknown(AlertReasons.EmptyResult),
    };
}
