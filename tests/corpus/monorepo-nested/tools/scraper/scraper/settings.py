BOT_NAME = "scraper"
SPIDER_MODULES = ["scraper.spiders"]
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 0.5
