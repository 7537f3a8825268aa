namespace Loupe.Application.Common.Paging;

/// <summary>An inclusive range of a timestamp filter, in UTC; a bound is null when it was not given.</summary>
public readonly record struct TimeRange(DateTimeOffset? After, DateTimeOffset? Before);
