using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A dashboard; its new versions are saved through the aggregate's private list (never loaded with
/// it). Tiles name visualizations inside their jsonb, checked by the application when saved; a
/// removed owner leaves the dashboard ownerless.
/// </summary>
internal sealed class DashboardConfiguration : IEntityTypeConfiguration<Dashboard>
{
    public void Configure(EntityTypeBuilder<Dashboard> builder)
    {
        builder.ToTable("dashboards");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(Dashboard.NameMaxLength).IsRequired();
        builder.Property(d => d.Description).HasMaxLength(Dashboard.DescriptionMaxLength);
        builder.PrimitiveCollection(d => d.Tags).IsRequired();
        builder.Property(d => d.Tiles).TilesColumn();
        builder.Property(d => d.Parameters)
            .HasColumnType(ParameterColumns.ColumnType)
            .HasConversion(ParameterColumns.Conversion, ParameterColumns.Comparer)
            .IsRequired();
        builder.Property(d => d.ParameterMappings).MappingsColumn();
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.SetNull);

        // Lists read one organization's dashboards, most recently changed first.
        // The lists' order (-updated_at, then id) with the archived flag: a page's ids from the index alone (ADR 0060).
        builder.HasIndex(d => new { d.OrganizationId, d.UpdatedAt, d.Id }).IsDescending(false, true, false).IncludeProperties(nameof(Dashboard.ArchivedAt));
        builder.HasMany<DashboardVersion>("_versions").WithOne().HasForeignKey(v => v.DashboardId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(d => d.IsArchived);
        builder.Ignore(d => d.NewVersions);
        builder.Ignore(d => d.VisualizationIds);
        builder.Ignore(d => d.DomainEvents);
    }
}
