# One image recipe for every service: docker compose passes the project to build.
#   docker build --build-arg SERVICE=Registration -t examreview/registration .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN dotnet publish src/Services/${SERVICE}/ExamReview.${SERVICE}/ExamReview.${SERVICE}.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
# libvips and a CJK font for image checks and watermarks, GTK 3 and the Haar cascades for the photo face checks
# (ImageValidation; OpenCvSharp's runtime links GTK), harmless elsewhere.
RUN apt-get update && apt-get install -y --no-install-recommends libvips42 fonts-wqy-microhei libgtk-3-0 opencv-data && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 SERVICE_ASSEMBLY=ExamReview.${SERVICE}.dll
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\""]
