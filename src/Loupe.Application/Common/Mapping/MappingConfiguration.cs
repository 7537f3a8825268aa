using Mapster;

namespace Loupe.Application.Common.Mapping;

/// <summary>
/// Builds Loupe's one Mapster configuration from the <see cref="IRegister"/> of each feature folder
/// (<c>Runs/RunMappings</c>, …). Only registered pairs map, every DTO member needs a source, and
/// records are built through their constructor; the whole configuration, projections included, is
/// compiled here, so a mapping that cannot be built stops the start instead of failing a request.
/// </summary>
public static class MappingConfiguration
{
    public static TypeAdapterConfig Create()
    {
        var config = new TypeAdapterConfig
        {
            RequireExplicitMapping = true,
            RequireDestinationMemberSource = true,
        };
        config.Default.MapToConstructor(true);
        config.Scan(typeof(MappingConfiguration).Assembly);
        config.Compile();
        config.CompileProjection();
        return config;
    }
}
