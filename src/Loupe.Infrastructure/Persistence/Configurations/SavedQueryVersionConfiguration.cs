using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>A version is written once with its query and never changed; numbers are unique per query.</summary>
internal sealed class SavedQueryVersionConfiguration : IEntityTypeConfiguration<SavedQueryVersion>
{
    public void Configure(EntityTypeBuilder<SavedQueryVersion> builder)
    {
        builder.ToTable("saved_query_versions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Sql).IsRequired();
        builder.Property(v => v.Parameters)
            .HasColumnType(ParameterColumns.ColumnType)
            .HasConversion(ParameterColumns.Conversion, ParameterColumns.Comparer)
            .IsRequired();
        builder.HasIndex(v => new { v.QueryId, v.Number }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.CreatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
