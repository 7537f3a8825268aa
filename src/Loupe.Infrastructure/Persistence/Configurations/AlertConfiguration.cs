using System.Globalization;
using System.Text.Json;
using Loupe.Domain.Alerts;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// An alert (migration 0024): its condition as the JSON <c>{selector, column, op, value}</c>, its state and
/// last notice as their wire names. A query that alerts watch cannot be deleted; a removed owner leaves
/// the alert ownerless.
/// </summary>
internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    private static readonly string[] Notices = ["none", "triggered", "resolved"];

    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts", table =>
        {
            table.HasCheckConstraint("ck_alerts_state", "state IN ('unknown', 'ok', 'triggered')");
            table.HasCheckConstraint("ck_alerts_last_notice", "last_notice IN ('none', 'triggered', 'resolved')");
            table.HasCheckConstraint("ck_alerts_rearm_seconds", "rearm_seconds IS NULL OR rearm_seconds >= 60");
        });
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Name).HasMaxLength(Alert.NameMaxLength).IsRequired();
        builder.Property(a => a.Condition)
            .HasConversion(condition => AlertConditionJson.Write(condition), json => AlertConditionJson.Read(json))
            .HasColumnType("jsonb")
            .IsRequired();
        builder.PrimitiveCollection(a => a.WebhookIds).IsRequired();
        builder.Property(a => a.State)
            .HasConversion(state => state.ToName(), name => StoredState(name))
            .HasMaxLength(16)
            .IsRequired();
        builder.Property(a => a.StateReason).HasMaxLength(32);
        builder.Property(a => a.Observed).HasMaxLength(AlertEvaluation.ObservedMaxLength);
        builder.Property(a => a.LastNotice)
            .HasConversion(notice => Notices[(int)notice], name => (AlertNotice)Array.IndexOf(Notices, name))
            .HasMaxLength(16)
            .IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SavedQuery>().WithMany().HasForeignKey(a => a.QueryId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(a => new { a.OrganizationId, a.UpdatedAt, a.Id }).IsDescending(false, true, false).IncludeProperties(nameof(Alert.ArchivedAt));
        builder.HasIndex(a => a.QueryId);
        builder.Property(a => a.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(a => a.IsArchived);
        builder.Ignore(a => a.DomainEvents);
    }

    private static AlertState StoredState(string name) =>
        AlertNames.StateNamed(name) ?? throw new InvalidOperationException($"The database holds an unknown alert state '{name}'.");
}

/// <summary>The stored form of a condition: <c>{"selector":"min","column":"amount","op":"&gt;","value":10}</c> (no column for <c>row_count</c>).</summary>
internal static class AlertConditionJson
{
    public static string Write(AlertCondition condition)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("selector", condition.Selector.ToName());
            if (condition.Column is { } column)
            {
                writer.WriteString("column", column);
            }

            writer.WriteString("op", condition.Operator.ToName());
            if (condition.Value.Number is { } number)
            {
                writer.WriteNumber("value", number);
            }
            else
            {
                writer.WriteString("value", condition.Value.Text);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static AlertCondition Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var selector = AlertNames.SelectorNamed(root.GetProperty("selector").GetString())
            ?? throw new InvalidOperationException("The database holds an alert condition with an unknown selector.");
        var op = AlertNames.OperatorNamed(root.GetProperty("op").GetString())
            ?? throw new InvalidOperationException("The database holds an alert condition with an unknown operator.");
        var column = root.TryGetProperty("column", out var c) ? c.GetString() : null;
        var value = root.GetProperty("value");
        var parsed = value.ValueKind == JsonValueKind.Number
            ? AlertValue.Of(decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture))
            : AlertValue.Of(value.GetString()!);
        return AlertCondition.Create(selector, column, op, parsed);
    }
}
