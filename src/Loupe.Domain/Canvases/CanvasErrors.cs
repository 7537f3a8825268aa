using Loupe.Domain.Common;

namespace Loupe.Domain.Canvases;

public static class CanvasErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("canvas.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("canvas.name_too_long", "name", $"A name has at most {Canvas.NameMaxLength} characters.");

    public static readonly DomainError DescriptionTooLong =
        DomainError.Validation("canvas.description_too_long", "description", $"A description has at most {Canvas.DescriptionMaxLength:N0} characters.");

    public static readonly DomainError CustomRangeInvalid =
        DomainError.Validation("canvas.custom_range_invalid", "time_preset", "A custom time range starts before it ends.");

    public static readonly DomainError TooManyNodes =
        DomainError.Validation("canvas.too_many_nodes", "nodes", $"A canvas has at most {CanvasGraph.MaxNodes} nodes.");

    public static readonly DomainError TooManyEdges =
        DomainError.Validation("canvas.too_many_edges", "edges", $"A canvas has at most {CanvasGraph.MaxEdges} edges.");

    public static readonly DomainError Archived =
        DomainError.Conflict("canvas.archived", "This canvas is archived: restore it before changing it.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("canvas.nul_character", field, "Text may not contain the NUL character (U+0000).");

    public static DomainError NodeIdInvalid(string path) =>
        DomainError.Validation("canvas.node_id_invalid", path, $"A node id has 1 to {CanvasGraph.IdMaxLength} letters, digits, '-' or '_'.");

    public static DomainError NodeIdDuplicate(string path) =>
        DomainError.Validation("canvas.node_id_duplicate", path, "Another node of the canvas has this id.");

    public static DomainError NodeTypeUnknown(string path) =>
        DomainError.Validation("canvas.node_type_unknown", path, "A node is a query, visualization, text or filter.");

    public static DomainError RefIdRequired(string path) =>
        DomainError.Validation("canvas.ref_id_required", path, "A query or visualization node names the query or visualization it shows.");

    public static DomainError RefIdNotAllowed(string path) =>
        DomainError.Validation("canvas.ref_id_not_allowed", path, "Text and filter nodes do not point at anything: leave ref_id out.");

    public static DomainError PositionInvalid(string path) =>
        DomainError.Validation("canvas.position_invalid", path, "A node's position is two finite numbers.");

    public static DomainError SizeInvalid(string path) =>
        DomainError.Validation("canvas.size_invalid", path, "A node's width and height are each at least 1.");

    public static DomainError ConfigInvalid(string path) =>
        DomainError.Validation("canvas.config_invalid", path, "A node's configuration is a JSON object (without the NUL character).");

    public static DomainError ConfigTooLarge(string path) =>
        DomainError.Validation("canvas.config_too_large", path, $"A node's configuration takes at most {CanvasGraph.ConfigMaxBytes / 1024} KiB.");

    public static DomainError EdgeIdInvalid(string path) =>
        DomainError.Validation("canvas.edge_id_invalid", path, $"An edge id has 1 to {CanvasGraph.IdMaxLength} letters, digits, '-' or '_'.");

    public static DomainError EdgeIdDuplicate(string path) =>
        DomainError.Validation("canvas.edge_id_duplicate", path, "Another edge of the canvas has this id.");

    public static DomainError EdgeNodeMissing(string path) =>
        DomainError.Validation("canvas.edge_node_missing", path, "An edge joins nodes of the canvas: no node has this id.");

    public static DomainError SelfLoop(string path) =>
        DomainError.Validation("canvas.self_loop", path, "An edge joins two different nodes.");

    public static DomainError EdgeDuplicate(string path) =>
        DomainError.Validation("canvas.edge_duplicate", path, "Another edge already goes from this source to this target.");

    public static DomainError LabelInvalid(string path) =>
        DomainError.Validation("canvas.label_invalid", path, $"An edge label has at most {CanvasGraph.LabelMaxLength} characters (without the NUL character).");

    /// <summary>A node points at a query or visualization the organization does not have (checked where the organization's items are known).</summary>
    public static DomainError ReferenceNotFound(string path) =>
        DomainError.Validation("canvas.ref_not_found", path, "Your organization has no item of this type with this id.");
}
