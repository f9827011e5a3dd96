"""Platform descriptions and HCL templates, one folder per platform."""
