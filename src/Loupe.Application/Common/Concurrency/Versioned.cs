namespace Loupe.Application.Common.Concurrency;

/// <summary>
/// A resource with the row version it was read at, so the API can give it an <c>ETag</c>. The
/// version changes with every save of the row; it is not part of the resource's JSON.
/// </summary>
public sealed record Versioned<T>(T Value, uint RowVersion);
