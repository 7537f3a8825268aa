namespace Loupe.Application.Common.Paging;

/// <summary>One item of a <c>sort</c> parameter: a whitelisted field and its direction.</summary>
public sealed record SortKey(string Field, bool Descending)
{
    public override string ToString() => Descending ? "-" + Field : Field;
}
