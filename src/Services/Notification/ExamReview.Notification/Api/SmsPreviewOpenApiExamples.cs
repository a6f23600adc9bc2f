using ExamReview.Notification.Api;
using ExamReview.ServiceDefaults.OpenApi;

// The SMS a reviewer previews before returning an application (the seeds' return notice).
[assembly: OpenApiExample(typeof(SmsPreview), """
    {"template":"review-returned","areaCode":"43","text":"【湖南省医师资格考试考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。",
     "providerTemplateCode":"SMS_EXR0001","areaTemplate":false}
    """)]
