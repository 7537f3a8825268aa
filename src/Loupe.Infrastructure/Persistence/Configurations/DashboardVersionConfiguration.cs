using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>A version is written once with its dashboard and never changed; numbers are unique per dashboard.</summary>
internal sealed class DashboardVersionConfiguration : IEntityTypeConfiguration<DashboardVersion>
{
    public void Configure(EntityTypeBuilder<DashboardVersion> builder)
    {
        builder.ToTable("dashboard_versions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Name).HasMaxLength(Dashboard.NameMaxLength).IsRequired();
        builder.Property(v => v.Description).HasMaxLength(Dashboard.DescriptionMaxLength);
        builder.PrimitiveCollection(v => v.Tags).IsRequired();
        builder.Property(v => v.Tiles).TilesColumn();
        builder.Property(v => v.Parameters)
            .HasColumnType(ParameterColumns.ColumnType)
            .HasConversion(ParameterColumns.Conversion, ParameterColumns.Comparer)
            .IsRequired();
        builder.Property(v => v.ParameterMappings).MappingsColumn();
        builder.HasIndex(v => new { v.DashboardId, v.Number }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.CreatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
