using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A canvas: its time preset in three columns (the wire name, and the window of a custom one), its
/// nodes and edges as two jsonb arrays of one row (<see cref="CanvasGraphColumns"/>), so that they
/// are always written together.
/// </summary>
internal sealed class CanvasConfiguration : IEntityTypeConfiguration<Canvas>
{
    public void Configure(EntityTypeBuilder<Canvas> builder)
    {
        builder.ToTable("canvases", table =>
        {
            table.HasCheckConstraint("ck_canvases_time_preset", TimePresetCheck);
            table.HasCheckConstraint("ck_canvases_graph", "jsonb_typeof(nodes) = 'array' AND jsonb_typeof(edges) = 'array'");
        });
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Canvas.NameMaxLength).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(Canvas.DescriptionMaxLength);
        builder.ComplexProperty(c => c.TimePreset, preset =>
        {
            preset.Property(p => p.Kind)
                .HasColumnName("time_preset")
                .HasConversion(kind => kind.WireName(), name => Stored(name))
                .HasMaxLength(16)
                .IsRequired();
            preset.Property(p => p.Start).HasColumnName("time_start");
            preset.Property(p => p.End).HasColumnName("time_end");
        });
        builder.Property(c => c.Nodes)
            .HasColumnType(CanvasGraphColumns.ColumnType)
            .HasConversion(CanvasGraphColumns.Nodes, CanvasGraphColumns.NodesComparer)
            .IsRequired();
        builder.Property(c => c.Edges)
            .HasColumnType(CanvasGraphColumns.ColumnType)
            .HasConversion(CanvasGraphColumns.Edges, CanvasGraphColumns.EdgesComparer)
            .IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);

        // Lists read one organization's canvases, most recently changed first.
        // The lists' order (-updated_at, then id) with the archived flag: a page's ids from the index alone (ADR 0060).
        builder.HasIndex(c => new { c.OrganizationId, c.UpdatedAt, c.Id }).IsDescending(false, true, false).IncludeProperties(nameof(Canvas.ArchivedAt));
        builder.Property(c => c.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(c => c.IsArchived);
        builder.Ignore(c => c.ReferencedIds);
        builder.Ignore(c => c.DomainEvents);
    }

    /// <summary>A custom preset has its window, start before end; a relative one has none.</summary>
    private static string TimePresetCheck =>
        $"(time_preset IN ({string.Join(", ", TimePresetKinds.Names.Where(name => name != "custom").Select(name => $"'{name}'"))}) "
        + "AND time_start IS NULL AND time_end IS NULL) "
        + "OR (time_preset = 'custom' AND time_start IS NOT NULL AND time_end IS NOT NULL AND time_start < time_end)";

    private static TimePresetKind Stored(string name) =>
        TimePresetKinds.TryParse(name, out var kind) ? kind : throw new InvalidOperationException($"The database holds an unknown time preset '{name}'.");
}
