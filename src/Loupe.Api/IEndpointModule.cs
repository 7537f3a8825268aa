namespace Loupe.Api;

/// <summary>
/// A feature's HTTP surface. Each feature folder has one module that maps its routes under
/// <c>/api/v1</c>; modules are found by scanning this assembly, so adding a feature touches no
/// shared file. Endpoints only translate HTTP to a command or query and back.
/// </summary>
internal interface IEndpointModule
{
    void MapEndpoints(IEndpointRouteBuilder api);
}
