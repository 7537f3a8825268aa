using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Loupe.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>A webhook (migration 0022): its signing secret is two columns behind the aggregate's private fields, never clear text.</summary>
internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Name).HasMaxLength(Webhook.NameMaxLength).IsRequired();
        builder.Property(w => w.Url).HasMaxLength(WebhookUrl.MaxLength).IsRequired();
        builder.PrimitiveCollection(w => w.Events).IsRequired();
        builder.Property(w => w.DisabledReason).HasMaxLength(WebhookDisabledReasons.MaxLength);
        builder.Property<string>("_secretKeyId").HasColumnName("secret_key_id").HasMaxLength(EncryptedSecret.KeyIdMaxLength).IsRequired();
        builder.Property<byte[]>("_secretCipher").HasColumnName("secret_cipher").IsRequired();
        builder.HasOne<Organization>().WithMany().HasForeignKey(w => w.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(w => w.CreatedBy).OnDelete(DeleteBehavior.SetNull);
        builder.Property(w => w.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(w => w.Secret);
        builder.Ignore(w => w.DomainEvents);
    }
}

/// <summary>One event sent to one webhook (migration 0022); an event reaches a webhook at most once.</summary>
internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    private const int StatusMaxLength = 16;

    private static readonly ValueConverter<DeliveryStatus, string> StatusConversion = new(
        status => DeliveryStatuses.ToName(status),
        text => DeliveryStatuses.Parse(text));

    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries", table =>
            table.HasCheckConstraint("ck_webhook_deliveries_status", "status IN ('pending', 'succeeded', 'failed', 'dead_lettered')"));
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(WebhookEvents.TypeMaxLength).IsRequired();
        builder.Property(d => d.Status).HasConversion(StatusConversion).HasMaxLength(StatusMaxLength).IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.ErrorMaxLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Webhooks.OutboxEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.EventId, d.WebhookId }).IsUnique();
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.Ignore(d => d.DomainEvents);
    }
}
