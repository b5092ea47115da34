from common.db import service_metadata

metadata = service_metadata("actions")
