using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// The settings are a complex property (one column each, null where the type has none); the
/// encrypted password is two columns behind the aggregate's private fields, never clear text.
/// </summary>
internal sealed class DataSourceConfiguration : IEntityTypeConfiguration<DataSource>
{
    private const int TypeMaxLength = 16;
    private const string NameKey = "NameKey";

    private static readonly ValueConverter<DataSourceType, string> TypeConversion = new(
        type => type.ToString().ToLowerInvariant(),
        text => Enum.Parse<DataSourceType>(text, true));

    private static readonly ValueConverter<PostgresSslMode, string> SslModeConversion = new(
        mode => mode.ToName(),
        text => ParseSslMode(text));

    public void Configure(EntityTypeBuilder<DataSource> builder)
    {
        builder.ToTable("data_sources");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(DataSource.NameMaxLength).IsRequired();

        // Names are unique per organization regardless of case; the database derives the key.
        builder.Property<string>(NameKey).HasColumnName("name_key").HasMaxLength(DataSource.NameMaxLength)
            .HasComputedColumnSql("lower((name)::text)", stored: true).IsRequired();
        builder.HasIndex(nameof(DataSource.OrganizationId), NameKey).IsUnique();
        builder.ComplexProperty(d => d.Settings, settings =>
        {
            settings.Property(s => s.Type).HasColumnName("type").HasConversion(TypeConversion).HasMaxLength(TypeMaxLength).IsRequired();
            settings.Property(s => s.Host).HasColumnName("host").HasMaxLength(ConnectionSettings.HostMaxLength);
            settings.Property(s => s.Port).HasColumnName("port");
            settings.Property(s => s.Database).HasColumnName("database").HasMaxLength(ConnectionSettings.IdentifierMaxLength);
            settings.Property(s => s.Username).HasColumnName("username").HasMaxLength(ConnectionSettings.IdentifierMaxLength);
            settings.Property(s => s.SslMode).HasColumnName("ssl_mode").HasConversion(SslModeConversion).HasMaxLength(TypeMaxLength);
            settings.Property(s => s.Path).HasColumnName("path").HasMaxLength(ConnectionSettings.PathMaxLength);
        });
        builder.Property<string?>("_passwordKeyId").HasColumnName("password_key_id").HasMaxLength(EncryptedSecret.KeyIdMaxLength);
        builder.Property<byte[]?>("_passwordCipher").HasColumnName("password_cipher");
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(d => d.Type);
        builder.Ignore(d => d.Password);
        builder.Ignore(d => d.HasPassword);
        builder.Ignore(d => d.DomainEvents);
    }

    private static PostgresSslMode ParseSslMode(string text) =>
        PostgresSslModes.TryParse(text, out var mode) ? mode : throw new InvalidOperationException($"Unknown stored SSL mode '{text}'.");
}
