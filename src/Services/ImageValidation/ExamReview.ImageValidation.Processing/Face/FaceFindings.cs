namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>Stable codes of the face-check findings (same convention as <see cref="FindingCodes"/>).</summary>
public static class FaceFindingCodes
{
    public const string None = "photo.face.none";
    public const string Multiple = "photo.face.multiple";
    public const string Profile = "photo.face.profile";
    public const string EyesNotFound = "photo.face.eyes_not_found";
    public const string Tilted = "photo.face.tilted";
    public const string TooSmall = "photo.face.too_small";
    public const string TooLarge = "photo.face.too_large";
    public const string CutOff = "photo.face.cut_off";
    public const string Position = "photo.face.position";
}

/// <summary>The candidate-facing texts of the face findings, Chinese first.</summary>
internal static class FaceFindings
{
    public static Finding None() => new(
        FaceFindingCodes.None,
        "照片中未检测到人脸，请上传本人正面免冠头像。",
        "No face was found in the photo; upload a frontal, bare-headed portrait of yourself.",
        "1 face",
        "0");

    public static Finding Multiple(int count) => new(
        FaceFindingCodes.Multiple,
        "照片中检测到多张人脸，照片只限本人一人。",
        "More than one face was found; the photo must show you alone.",
        "1 face",
        count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Finding Profile() => new(
        FaceFindingCodes.Profile,
        "照片为侧脸，请正对镜头拍摄正面头像。",
        "The photo shows a profile; face the camera squarely.",
        "frontal face",
        "profile");

    public static Finding EyesNotFound() => new(
        FaceFindingCodes.EyesNotFound,
        "未能识别双眼：须正面直视镜头，双眼睁开、无遮挡（不戴墨镜，头发不遮眼）。",
        "Both eyes could not be found: look straight at the camera with both eyes open and uncovered (no sunglasses, no hair over the eyes).",
        "2 eyes",
        "not found");

    public static Finding Tilted(double measuredDegrees, double maxDegrees) => new(
        FaceFindingCodes.Tilted,
        "头部倾斜，请保持头部端正、双眼连线水平后重新拍摄。",
        "The head is tilted; keep it upright, eyes level, and take the photo again.",
        $"|roll| ≤ {Fmt.Num(maxDegrees)}°",
        $"{Fmt.Num(measuredDegrees)}°");

    public static Finding TooSmall(double facePixels, double neededPixels) => new(
        FaceFindingCodes.TooSmall,
        "头部在照片中过小，裁剪后达不到最小像素尺寸，请靠近镜头或使用更高清的照片。",
        "The head is too small in the photo: cropped to size it would fall below the minimum pixel size. Move closer or use a sharper photo.",
        $"face width ≥ {Fmt.Num(neededPixels)} px",
        $"{Fmt.Num(facePixels)} px");

    public static Finding TooLarge(double share, double maxShare) => new(
        FaceFindingCodes.TooLarge,
        "头部在照片中过大（离镜头太近），照片中须留出头顶上方空白和肩部。",
        "The head is too large in the photo (too close to the camera); leave space above the head and show the shoulders.",
        $"face width ≤ {Fmt.Num(maxShare * 100)}% of the width",
        $"{Fmt.Num(share * 100)}% in the tightest frame that fits");

    public static Finding CutOff(string where) => new(
        FaceFindingCodes.CutOff,
        "头部不完整（头顶或下颏被裁切），请拍摄完整的头部及肩部。",
        "The head is cut off (crown or chin outside the photo); show the whole head and the shoulders.",
        "whole head inside the frame",
        where);

    public static Finding Position(string threshold, string measured) => new(
        FaceFindingCodes.Position,
        "人像位置不符合要求（应水平居中，眼睛位于照片中上部），且无法通过裁剪调整，请重新拍摄。",
        "The head is not where it must be (centred, eyes in the upper middle of the photo) and cropping cannot fix it; take the photo again.",
        threshold,
        measured);
}
