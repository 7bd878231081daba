#version 330 core
// The loss field as colour: `field` holds the log-scaled loss in [0, 1] (negative: not finite),
// mapped through the viridis stops, with anti-aliased contour lines at evenly spaced levels of the
// scaled loss (so equal spacing means equal ratios of loss).
in vec2 uv;
out vec4 color;
uniform sampler2D field;
uniform vec3 stops[9];
uniform float contour_levels;   // lines per full colour range; 0 disables them
uniform float contour_opacity;

vec3 colormap(float t) {
    float scaled = clamp(t, 0.0, 1.0) * 8.0;
    int i = min(int(floor(scaled)), 7);
    return mix(stops[i], stops[i + 1], scaled - float(i));
}

void main() {
    float t = texture(field, uv).r;
    if (t < 0.0) {
        color = vec4(0.35, 0.35, 0.35, 1.0);  // overflow: shown as neutral grey
        return;
    }
    vec3 rgb = colormap(t);
    if (contour_levels > 0.0) {
        float level = t * contour_levels;
        float width = max(fwidth(level), 1e-6);
        float distance_px = abs(fract(level + 0.5) - 0.5) / width;  // distance to a line in pixels
        float line = 1.0 - smoothstep(0.5, 1.5, distance_px);
        rgb = mix(rgb, vec3(1.0), line * contour_opacity);
    }
    color = vec4(rgb, 1.0);
}
