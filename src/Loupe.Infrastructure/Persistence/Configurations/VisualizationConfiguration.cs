using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Users;
using Loupe.Domain.Visualizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A visualization: its type as the wire name, its options as the JSON they write (read back
/// through the parser). A query that visualizations draw cannot be deleted (queries are archived,
/// not deleted); a removed owner leaves the visualization ownerless.
/// </summary>
internal sealed class VisualizationConfiguration : IEntityTypeConfiguration<Visualization>
{
    public void Configure(EntityTypeBuilder<Visualization> builder)
    {
        builder.ToTable("visualizations", table => table.HasCheckConstraint(
            "ck_visualizations_type", $"type IN ({string.Join(", ", VisualizationTypes.Names.Select(name => $"'{name}'"))})"));
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Name).HasMaxLength(Visualization.NameMaxLength).IsRequired();
        builder.Property(v => v.Description).HasMaxLength(Visualization.DescriptionMaxLength);
        builder.Property(v => v.Type)
            .HasConversion(type => type.WireName(), name => Stored(name))
            .HasMaxLength(16)
            .IsRequired();
        builder.Property<string>("_optionsJson").HasColumnName("options").HasColumnType("jsonb").IsRequired();
        builder.Ignore(v => v.Options);
        builder.PrimitiveCollection(v => v.Tags).IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SavedQuery>().WithMany().HasForeignKey(v => v.QueryId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.SetNull);

        // Lists read one organization's visualizations, most recently changed first; a query's are found by query.
        // The lists' order (-updated_at, then id) with the archived flag: a page's ids from the index alone (ADR 0060).
        builder.HasIndex(v => new { v.OrganizationId, v.UpdatedAt, v.Id }).IsDescending(false, true, false).IncludeProperties(nameof(Visualization.ArchivedAt));
        builder.HasIndex(v => v.QueryId);
        builder.Property(v => v.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(v => v.IsArchived);
        builder.Ignore(v => v.DomainEvents);
    }

    private static VisualizationType Stored(string name) =>
        VisualizationTypes.TryParse(name, out var type) ? type : throw new InvalidOperationException($"The database holds an unknown visualization type '{name}'.");
}
