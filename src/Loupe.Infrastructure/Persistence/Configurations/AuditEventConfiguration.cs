using System.Text.Json;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    /// <summary>Details as a JSON object of strings.</summary>
    private static readonly ValueConverter<IReadOnlyDictionary<string, string>?, string?> DetailsConversion = new(
        details => details == null ? null : JsonSerializer.Serialize(details, (JsonSerializerOptions?)null),
        json => json == null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null));

    private static readonly ValueComparer<IReadOnlyDictionary<string, string>?> DetailsComparer = new(
        (left, right) => left == null ? right == null : right != null && left.Count == right.Count && !left.Except(right).Any(),
        details => details == null ? 0 : details.Count,
        details => details == null ? null : new Dictionary<string, string>(details, StringComparer.Ordinal));

    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(AuditEvent.ActionMaxLength).IsRequired();
        builder.Property(e => e.TargetType).HasMaxLength(32);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(512);
        builder.Property(e => e.RequestId).HasMaxLength(64);
        builder.Property(e => e.ClientRequestId).HasMaxLength(64);
        builder.Property(e => e.Details)
            .HasColumnType("jsonb")
            .HasConversion(DetailsConversion, DetailsComparer);
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);

        // Replaces the index EF would put on the foreign key alone: lists read newest first per organization.
        builder.HasIndex(e => new { e.OrganizationId, e.OccurredAt });
    }
}
