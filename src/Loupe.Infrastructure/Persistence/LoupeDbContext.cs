using Loupe.Domain.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

/// <summary>Loupe's own database. The schema is owned by the SQL files in <c>migrations/</c>; this model must match it.</summary>
public sealed class LoupeDbContext(DbContextOptions<LoupeDbContext> options) : DbContext(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LoupeDbContext).Assembly);
        SnakeCaseNaming.Apply(modelBuilder);
    }
}
