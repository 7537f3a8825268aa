using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Support;

/// <summary>A tenant scope pinned to one organization, as a background job would enter it.</summary>
internal sealed class FixedTenant(Guid? organizationId) : ITenantScope
{
    public Guid? OrganizationId { get; private set; } = organizationId;

    public void Enter(Guid organizationId) => OrganizationId = organizationId;
}

/// <summary>Writes test data through the real model, as the application role, inside one organization.</summary>
internal static class TenantData
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LoupeDbContext Context(string appConnection, Guid? organizationId) =>
        new(new DbContextOptionsBuilder<LoupeDbContext>()
                .UseNpgsql(appConnection)
                .AddInterceptors(new Infrastructure.Tenancy.TenantCommandInterceptor(new FixedTenant(organizationId)))
                .Options,
            new FixedTenant(organizationId));

    public static async Task<Organization> CreateOrganizationAsync(string appConnection, string name = "Acme")
    {
        var organization = Organization.Create(Guid.CreateVersion7(), name, Epoch);
        await using var context = Context(appConnection, organization.Id);
        context.Organizations.Add(organization);
        await context.SaveChangesAsync();
        return organization;
    }

    public static async Task<IReadOnlyList<User>> AddUsersAsync(
        string appConnection, Guid organizationId, int count, Func<int, string> name, Func<int, DateTimeOffset>? createdAt = null)
    {
        await using var context = Context(appConnection, organizationId);
        var users = Enumerable.Range(0, count)
            .Select(i => User.Register(
                Guid.CreateVersion7(),
                organizationId,
                EmailAddress.Parse($"user{i}.{Guid.NewGuid():N}@example.com"),
                name(i),
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                Role.Viewer,
                isInstanceAdmin: false,
                createdAt?.Invoke(i) ?? Epoch))
            .ToList();
        context.Users.AddRange(users);
        await context.SaveChangesAsync();
        return users;
    }
}
