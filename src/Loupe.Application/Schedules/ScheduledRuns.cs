using Loupe.Application.Runs;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Schedules;

namespace Loupe.Application.Schedules;

/// <summary>How a schedule's values become a run's: the one binding every run uses (<see cref="RunBinding"/>).</summary>
internal static class ScheduledRuns
{
    /// <exception cref="Domain.Common.DomainException">A value no longer fits the query's parameters (they changed since the schedule was saved).</exception>
    public static RunBinding.Bound Bind(SavedQuery query, Schedule schedule)
    {
        if (TryBind(query, schedule, out var bound, out var problem))
        {
            return bound;
        }

        throw new Domain.Common.DomainException(problem);
    }

    public static bool TryBind(
        SavedQuery query,
        Schedule schedule,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RunBinding.Bound? bound,
        out Domain.Common.DomainError problem)
    {
        var values = schedule.Parameters.ToDictionary(pair => pair.Key, pair => (ParameterValue?)pair.Value, StringComparer.Ordinal);
        if (RunBinding.TryBind(query.Sql, query.Parameters, values, out bound, out var errors))
        {
            problem = null!;
            return true;
        }

        problem = errors[0];
        return false;
    }
}
