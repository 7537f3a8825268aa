using System.Text.Json;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A schedule: its parameter values as a JSON object in the API's shape, the status of its last run
/// as the run's wire name. Two partial indexes serve the due-claim (<c>next_run_at</c> is set only
/// while the schedule can fire). A query that schedules run cannot be deleted; a removed owner leaves
/// the schedule ownerless.
/// </summary>
internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    private static readonly ValueConverter<IReadOnlyDictionary<string, ParameterValue>, string> Values = new(
        values => Serialize(values),
        json => Deserialize(json));

    private static readonly ValueComparer<IReadOnlyDictionary<string, ParameterValue>> ValuesComparer = new(
        (left, right) => Serialize(left!) == Serialize(right!),
        values => Serialize(values).GetHashCode(StringComparison.Ordinal),
        values => Deserialize(Serialize(values)));

    private static readonly ValueConverter<RunStatus, string> StatusConversion = new(
        status => status.ToName(),
        text => ParseStatus(text));

    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.ToTable("schedules", table => table.HasCheckConstraint(
            "ck_schedules_next_run_at", "next_run_at IS NULL OR (enabled AND archived_at IS NULL)"));
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(Schedule.NameMaxLength).IsRequired();
        builder.Property(s => s.Parameters).HasColumnType(ParameterColumns.ColumnType).HasConversion(Values, ValuesComparer).IsRequired();
        builder.Property(s => s.Cron).HasMaxLength(Schedule.CronMaxLength).IsRequired();
        builder.Property(s => s.TimeZone).HasColumnName("timezone").HasMaxLength(Schedule.TimeZoneMaxLength).IsRequired();
        builder.PrimitiveCollection(s => s.Tags).IsRequired();
        builder.Property(s => s.LastRunStatus).HasConversion(StatusConversion).HasMaxLength(16);
        builder.Property(s => s.LastError).HasMaxLength(ScheduleErrors.LastErrorMaxLength);
        builder.Property(s => s.PausedReason).HasMaxLength(Schedule.PausedReasonMaxLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SavedQuery>().WithMany().HasForeignKey(s => s.QueryId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.SetNull);

        // Lists read one organization's schedules, most recently changed first; a query's are found by query.
        builder.HasIndex(s => new { s.OrganizationId, s.UpdatedAt });
        builder.HasIndex(s => s.QueryId);
        builder.HasIndex(s => new { s.OrganizationId, s.NextRunAt }, "ix_schedules_due").HasFilter("next_run_at IS NOT NULL");
        builder.HasIndex(s => s.NextRunAt, "ix_schedules_due_at").HasFilter("next_run_at IS NOT NULL");
        builder.Property(s => s.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(s => s.IsArchived);
        builder.Ignore(s => s.Zone);
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

    private static RunStatus ParseStatus(string text) =>
        RunStatuses.TryParse(text, out var status) ? status : throw new InvalidOperationException($"Unknown stored run status '{text}'.");
}
