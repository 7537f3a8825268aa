using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A saved query; its new versions are saved through the aggregate's private list (never loaded
/// with it). A data source in use cannot be deleted; a removed owner leaves the query ownerless.
/// </summary>
internal sealed class SavedQueryConfiguration : IEntityTypeConfiguration<SavedQuery>
{
    public void Configure(EntityTypeBuilder<SavedQuery> builder)
    {
        builder.ToTable("saved_queries");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.Id).ValueGeneratedNever();
        builder.Property(q => q.Name).HasMaxLength(SavedQuery.NameMaxLength).IsRequired();
        builder.Property(q => q.Description).HasMaxLength(SavedQuery.DescriptionMaxLength);
        builder.Property(q => q.Sql).IsRequired();
        builder.Property(q => q.Parameters)
            .HasColumnType(ParameterColumns.ColumnType)
            .HasConversion(ParameterColumns.Conversion, ParameterColumns.Comparer)
            .IsRequired();
        builder.PrimitiveCollection(q => q.Tags).IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(q => q.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DataSource>().WithMany().HasForeignKey(q => q.DataSourceId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.OwnerId).OnDelete(DeleteBehavior.SetNull);

        // Lists read one organization's queries, most recently changed first.
        // The lists' order (-updated_at, then id) with the archived flag: a page's ids from the index alone (ADR 0060).
        builder.HasIndex(q => new { q.OrganizationId, q.UpdatedAt, q.Id }).IsDescending(false, true, false).IncludeProperties(nameof(SavedQuery.ArchivedAt));
        builder.HasMany<SavedQueryVersion>("_versions").WithOne().HasForeignKey(v => v.QueryId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(q => q.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(q => q.IsArchived);
        builder.Ignore(q => q.NewVersions);
        builder.Ignore(q => q.DomainEvents);
    }
}
