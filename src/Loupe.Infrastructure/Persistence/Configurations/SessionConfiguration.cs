using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.RevokedReason).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(Session.UserAgentMaxLength);
        builder.Property(s => s.IpAddress).HasMaxLength(64);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.OwnsMany(s => s.Tokens, tokens =>
        {
            tokens.ToTable("session_tokens");
            tokens.WithOwner().HasForeignKey("SessionId");
            tokens.HasKey(t => t.Hash);
            tokens.Property(t => t.Hash).HasMaxLength(64).ValueGeneratedNever();
            tokens.HasIndex("SessionId");
        });
        builder.Navigation(s => s.Tokens).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property<uint>("Version").HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(s => s.DomainEvents);
    }
}
