using System.Text.Json;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A dashboard's share link: the hash of its token (unique: the link is found by it), never the
/// token; its locked values as a <c>jsonb</c> object of values written as a run's parameters are.
/// </summary>
internal sealed class DashboardShareConfiguration : IEntityTypeConfiguration<DashboardShare>
{
    private static readonly ValueConverter<IReadOnlyDictionary<string, ParameterValue>, string> Values = new(
        values => Serialize(values),
        json => Deserialize(json));

    private static readonly ValueComparer<IReadOnlyDictionary<string, ParameterValue>> ValuesComparer = new(
        (left, right) => left!.Count == right!.Count && left.All(pair => right.ContainsKey(pair.Key) && Equals(right[pair.Key], pair.Value)),
        values => values.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
        values => new Dictionary<string, ParameterValue>(values, StringComparer.Ordinal));

    public void Configure(EntityTypeBuilder<DashboardShare> builder)
    {
        builder.ToTable("dashboard_shares");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Label).HasMaxLength(DashboardShare.LabelMaxLength);
        builder.Property(s => s.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.Property(s => s.Prefix).HasMaxLength(DashboardShare.VisiblePrefixLength).IsRequired();
        builder.Property(s => s.LockedValues).HasColumnType(ParameterColumns.ColumnType).HasConversion(Values, ValuesComparer).IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Dashboard>().WithMany().HasForeignKey(s => s.DashboardId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.CreatedBy).OnDelete(DeleteBehavior.SetNull);

        // A dashboard's shares are listed newest first.
        builder.HasIndex(s => new { s.DashboardId, s.CreatedAt });
        builder.Ignore(s => s.DomainEvents);
    }

    private static string Serialize(IReadOnlyDictionary<string, ParameterValue> values) =>
        JsonSerializer.Serialize(values.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => ParameterJson.ToJson(pair.Value)));

    private static Dictionary<string, ParameterValue> Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (ParameterJson.ToValue(property.Value) is { } value)
            {
                values[property.Name] = value;
            }
        }

        return values;
    }
}
